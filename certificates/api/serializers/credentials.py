"""Serializers of the verifiable-credential API: the credential asked for by QR payload, and a status list."""

from rest_framework import serializers


class CredentialInputSerializer(serializers.Serializer):
    payload = serializers.CharField(max_length=2000, help_text="the QR code's text (the URL or the token alone)")


class CredentialSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="the certificate number")
    media_type = serializers.CharField(help_text="application/vc+jwt")
    credential = serializers.CharField(help_text="the W3C Verifiable Credential 2.0 as a compact JWS (EdDSA)")


class StatusListSerializer(serializers.Serializer):
    media_type = serializers.CharField(help_text="application/vc+jwt")
    etag = serializers.CharField(help_text="changes when the list's bits or signing key change")
    credential = serializers.CharField(help_text="the BitstringStatusListCredential as a compact JWS (EdDSA)")
