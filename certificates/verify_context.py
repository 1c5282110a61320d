"""The portal's JSON-LD context for the terms of the certificate credential (served at /verify/contexts/…)."""

from typing import Any

VOCAB = "https://skills-portal.example/ns/certificate#"

_TERMS = ["certificateNumber", "holderName", "maskedIdNumber", "occupationCode", "occupationName", "workTypeName",
          "skillLevel", "skillLevelName", "issuedOn", "organization", "filingNumber", "filingValidFrom",
          "filingValidUntil", "filingTerminatedOn", "filingStatusOnIssueDate", "filingActiveOnIssueDate"]

CONTEXT: dict[str, Any] = {
    "@context": {
        "@protected": True,
        "id": "@id",
        "type": "@type",
        "SkillLevelCertificateCredential": f"{VOCAB}SkillLevelCertificateCredential",
        "SkillLevelCertificate": {
            "@id": f"{VOCAB}SkillLevelCertificate",
            "@context": {"@protected": True, "id": "@id", "type": "@type",
                         **{term: f"{VOCAB}{term}" for term in _TERMS}},
        },
    }
}
