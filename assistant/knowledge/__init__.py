"""The guidance corpus: chunking, embedding functions, the chromadb store and search.

Importing this package is cheap: chromadb and onnxruntime load on first use.
"""

from assistant.knowledge.errors import KnowledgeError
from assistant.knowledge.search import AddReport, KnowledgeBase, Passage, SourceInfo

__all__ = ["AddReport", "KnowledgeBase", "KnowledgeError", "Passage", "SourceInfo"]
