"""Selection: expert panels and scoring, city recommendation, province selection, approval and publicity."""
