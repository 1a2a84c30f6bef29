"""Secure exchange: messages, requests for information and intelligence reports between
agencies, with markings, evaluations, receipts, disseminations and re-share approvals."""
