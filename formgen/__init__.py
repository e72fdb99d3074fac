"""formgen: issue, collect, score and publish the forms of award and assessment campaigns."""

__version__ = "0.1.0"
