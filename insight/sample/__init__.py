"""The bundled synthetic sample: `synthetic` writes the dataset, `text` holds its catalogue of
names and free texts. Stands on core only."""
