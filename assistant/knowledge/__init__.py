"""The guidance corpus: chunking, embeddings, the chromadb store and search."""
