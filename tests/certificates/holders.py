"""The holder of the skill-bank tests (account, API, share links): their identity number, another's, a password."""

HOLDER_ID = "44010619900307123X"
OTHER_ID = "440106199003071246"
HOLDER_PASSWORD = "Jineng-yinhang-2026"
