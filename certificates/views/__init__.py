"""Pages of the app, one module per concern and audience.

Exams (namespace "exams"): plans, rosters, results and review for the organization and the officers, venues_staff.
Certificates (namespace "certificates"): issuance, changes (revocation, correction), registry (officers).
The public: verify (lookup, QR, the lifelong record, public keys) with verify_render, its fast page renderer.
Views are thin: they parse, call one service or selector, and show the result.
"""
