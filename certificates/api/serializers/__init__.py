"""API serializers of the app: exams and certificates, input and output per operation."""
