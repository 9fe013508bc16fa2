"""The six seed checks: pairs from ../shared/articles/lisichansk.txt with the label the default
model must give (``tests/test_seed_checks.py`` asserts them; ``eval.weight_averaging`` reports them)."""

SHOIGU = "Russian forces have established full control over the city of Lisichansk."
SAK_DENIAL = "Ukrainian Defence Ministry spokesman Yuriy Sak denied that Russia had achieved full control of Lisichansk."

SEED_CHECKS = [
    (SHOIGU, SAK_DENIAL, "contradiction"),
    (SHOIGU, "It cannot be said definitively that Lisichansk is under Russian control.", "hedge"),
    ("At least six people died in a Russian attack on Sloviansk.", "Nobody was killed in the attack on Sloviansk.", "contradiction"),
    ("Ukrainian soldiers withdrew from Lisichansk.", "Sak hinted that soldiers may have withdrawn from the town to other positions.", "hedge"),
    ("Russia took the city of Lisichansk.", "Russian forces established full control over Lisichansk.", "entailment"),
    ("Kyiv still controls 45% of the Donetsk region.", "The ISW believes Russian forces will push towards Siversk.", "neutral"),
]
