"""Two rewrites of the local model's ONNX graph, made once when the model is first loaded.

The int8 model stores each weight as int8 with a float scale per row or per column, and
dequantizes it in the graph with a Cast and a Mul. onnxruntime folds those into float32
constants when it optimises the graph, so the session held float32 weights: 47 MB for the
word-embedding table and 42 MB for the 36 matrices of the six layers. Both rewrites keep the
numbers (every weight is still ``float(q) * scale``) and keep the weights in 8 bits:

- the word-embedding table (30,522 rows, one scale per row) gathers the int8 rows and their
  scales first and dequantizes only those: an 11 MB table for a lookup of a few hundred rows;
- each MatMul on an int8 matrix with one scale per column becomes onnxruntime's documented
  ``com.microsoft.MatMulNBits`` with 8 bits (the int8 values shifted to its unsigned form with
  its default zero point of 128, so ``q + 128 - 128`` is ``q`` again; one block of 128 values
  per scale), which dequantizes inside the product: the session takes about 30 MB less and
  ran a query faster than the float MatMul did (``benchmarks/knowledge_bench.py``). The
  vectors agree with the model run plainly to 2e-7.

The graph is edited through a minimal protobuf schema: only the messages and fields the edits
touch are declared, and everything else passes through as unknown fields, unchanged. A graph
without the expected patterns is returned as it was.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

#: ONNX's numbers for the float and int8 tensor types and for an integer attribute.
FLOAT, INT8, UINT8, ATTRIBUTE_INT = 1, 3, 2, 2
#: The domain of onnxruntime's own operators, and the version of it MatMulNBits is in.
MICROSOFT_DOMAIN, MICROSOFT_OPSET = "com.microsoft", 1
#: Values of a column that share one scale in MatMulNBits (a power of two, at least 16).
NBITS_BLOCK = 128
#: MatMulNBits' accuracy level for float32 arithmetic: the products are the float ones.
FLOAT32_ACCURACY = 1

#: (message, [(field, number, type, repeated)]) of onnx.proto that the edits need.
_SCHEMA = (
    (
        "ModelProto",
        [("graph", 7, "GraphProto", False), ("opset_import", 8, "OperatorSetIdProto", True)],
    ),
    ("OperatorSetIdProto", [("domain", 1, "string", False), ("version", 2, "int64", False)]),
    (
        "GraphProto",
        [("node", 1, "NodeProto", True), ("initializer", 5, "TensorProto", True)],
    ),
    (
        "NodeProto",
        [
            ("input", 1, "string", True),
            ("output", 2, "string", True),
            ("name", 3, "string", False),
            ("op_type", 4, "string", False),
            ("attribute", 5, "AttributeProto", True),
            ("domain", 7, "string", False),
        ],
    ),
    (
        "AttributeProto",
        [("name", 1, "string", False), ("i", 3, "int64", False), ("type", 20, "int32", False)],
    ),
    (
        "TensorProto",
        [
            ("dims", 1, "int64", True),
            ("data_type", 2, "int32", False),
            ("name", 8, "string", False),
            ("raw_data", 9, "bytes", False),
        ],
    ),
)


@cache
def _messages() -> dict[str, Any]:
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    scalar = {
        "string": descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
        "bytes": descriptor_pb2.FieldDescriptorProto.TYPE_BYTES,
        "int64": descriptor_pb2.FieldDescriptorProto.TYPE_INT64,
        "int32": descriptor_pb2.FieldDescriptorProto.TYPE_INT32,
    }
    file = descriptor_pb2.FileDescriptorProto(
        name="reflect_onnx_subset.proto", package="reflect_onnx_subset", syntax="proto2"
    )
    for message_name, fields in _SCHEMA:
        message = file.message_type.add(name=message_name)
        for field_name, number, kind, repeated in fields:
            field = message.field.add(name=field_name, number=number)
            field.label = (
                descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED
                if repeated
                else descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL
            )
            if kind in scalar:
                field.type = scalar[kind]
            else:
                field.type = descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE
                field.type_name = f".reflect_onnx_subset.{kind}"
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return {
        name: message_factory.GetMessageClass(
            pool.FindMessageTypeByName(f"reflect_onnx_subset.{name}")
        )
        for name, _ in _SCHEMA
    }


def lighter_graph(model: bytes, *, int8_matmuls: bool = True) -> bytes:
    """``model`` with its int8 weights kept in 8 bits: the word-embedding lookup always, the
    matrix products too unless ``int8_matmuls`` is False (an onnxruntime without 8-bit
    MatMulNBits refuses that graph)."""
    messages = _messages()
    parsed = messages["ModelProto"]()
    parsed.ParseFromString(model)
    graph = _Graph(parsed.graph)
    replaced: dict[int, list[Any]] = {}
    for index, node in enumerate(graph.nodes):
        if node.op_type == "Gather" and not node.domain and _int_attribute(node, "axis", 0) == 0:
            table = graph.dequantized(node.input[0])
            if table is not None and table.scales_shape == "rows":
                replaced[index] = _gathered_then_dequantized(messages, node, table)
                graph.steps.update(table.steps)
        elif int8_matmuls and node.op_type == "MatMul" and not node.domain:
            weights = graph.dequantized(node.input[1])
            if weights is not None and _fits_nbits(weights):
                replaced[index] = _int8_product(messages, graph, node, weights)
                graph.steps.update(weights.steps)
    if not replaced:
        return model
    graph.replace_nodes(messages, replaced)
    uses_microsoft = any(n.domain == MICROSOFT_DOMAIN for new in replaced.values() for n in new)
    if uses_microsoft and all(o.domain != MICROSOFT_DOMAIN for o in parsed.opset_import):
        parsed.opset_import.add(domain=MICROSOFT_DOMAIN, version=MICROSOFT_OPSET)
    return bytes(parsed.SerializeToString())


@dataclass(frozen=True)
class _Dequantized:
    """An int8 initializer times its float scales: ``Mul(Cast(table), scales)``."""

    table: Any
    scales: Any
    #: Positions of the Cast and the Mul that dequantized the whole table.
    steps: tuple[int, int]

    @property
    def scales_shape(self) -> str:
        """``rows`` (one scale per row), ``columns`` (one per column), or ``other``."""
        rows, columns = self.table.dims
        if list(self.scales.dims) == [rows, 1]:
            return "rows"
        if list(self.scales.dims) == [1, columns]:
            return "columns"
        return "other"


class _Graph:
    """The graph's nodes and initializers, with who produces and who reads each value."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        self.nodes = list(graph.node)
        self.tensors = {tensor.name: tensor for tensor in graph.initializer}
        self.producers = {
            out: index for index, node in enumerate(self.nodes) for out in node.output
        }
        self.consumers = Counter(name for node in self.nodes for name in node.input)
        #: Positions of the Cast and Mul nodes the rewrites made useless.
        self.steps: set[int] = set()
        #: Initializers nothing reads any more, and the new ones.
        self.unused: set[str] = set()
        self.added: list[Any] = []

    def dequantized(self, value: str) -> _Dequantized | None:
        """The int8 table and its scales, when ``value`` is read only here and is their product."""
        mul_at = self.producers.get(value)
        mul = self.nodes[mul_at] if mul_at is not None else None
        if mul is None or mul.op_type != "Mul" or mul.domain or self.consumers[value] != 1:
            return None
        cast_at = self.producers.get(mul.input[0])
        cast = self.nodes[cast_at] if cast_at is not None else None
        if cast is None or cast.op_type != "Cast" or self.consumers[cast.output[0]] != 1:
            return None
        table, scales = self.tensors.get(cast.input[0]), self.tensors.get(mul.input[1])
        if table is None or scales is None or _int_attribute(cast, "to", -1) != FLOAT:
            return None
        if table.data_type != INT8 or scales.data_type != FLOAT or len(table.dims) != 2:
            return None
        if cast_at is None or mul_at is None:
            return None
        return _Dequantized(table, scales, (cast_at, mul_at))

    def replace_nodes(self, messages: dict[str, Any], replaced: dict[int, list[Any]]) -> None:
        """Put ``replaced`` in place of their nodes, dropping the dequantization steps and the
        initializers nothing reads any more."""
        edited: list[Any] = []
        for index, node in enumerate(self.nodes):
            if index in replaced:
                edited += replaced[index]
            elif index not in self.steps:
                copy = messages["NodeProto"]()
                copy.CopyFrom(node)
                edited.append(copy)
        self.graph.ClearField("node")
        self.graph.node.extend(edited)
        if self.unused or self.added:
            kept = [t for t in self.graph.initializer if t.name not in self.unused]
            copies = []
            for tensor in kept:
                copy = messages["TensorProto"]()
                copy.CopyFrom(tensor)
                copies.append(copy)
            self.graph.ClearField("initializer")
            self.graph.initializer.extend(copies + self.added)


def _int_attribute(node: Any, name: str, default: int) -> int:
    return next((int(a.i) for a in node.attribute if a.name == name), default)


def _node(messages: dict[str, Any], op_type: str, inputs: list[str], out: str, **ints: int) -> Any:
    made = messages["NodeProto"](op_type=op_type, input=inputs, output=[out], name=out)
    for name, value in ints.items():
        made.attribute.add(name=name, i=value, type=ATTRIBUTE_INT)
    return made


def _gathered_then_dequantized(
    messages: dict[str, Any], gather: Any, table: _Dequantized
) -> list[Any]:
    ids, output = gather.input[1], gather.output[0]
    rows, row_scales, rows_float = (f"{output}/{part}" for part in ("int8", "scales", "float"))
    return [
        _node(messages, "Gather", [table.table.name, ids], rows, axis=0),
        _node(messages, "Gather", [table.scales.name, ids], row_scales, axis=0),
        _node(messages, "Cast", [rows], rows_float, to=FLOAT),
        _node(messages, "Mul", [rows_float, row_scales], output),
    ]


def _fits_nbits(weights: _Dequantized) -> bool:
    """Whether MatMulNBits can take the weights: one scale per column, whole blocks, and the
    values stored as raw bytes (how the model ships them)."""
    depth = int(weights.table.dims[0])
    return (
        weights.scales_shape == "columns"
        and depth % NBITS_BLOCK == 0
        and bool(weights.table.raw_data)
        and bool(weights.scales.raw_data)
    )


def _int8_product(
    messages: dict[str, Any], graph: _Graph, matmul: Any, weights: _Dequantized
) -> list[Any]:
    """``matmul`` as MatMulNBits on the int8 weights."""
    depth, width = (int(d) for d in weights.table.dims)
    blocks = depth // NBITS_BLOCK
    values = np.frombuffer(weights.table.raw_data, dtype=np.int8).reshape(depth, width)
    # MatMulNBits reads each output column's values as unsigned bytes, in blocks along K.
    unsigned = (values.astype(np.int16) + 128).astype(np.uint8).T.reshape(width, blocks, -1)
    scales = np.frombuffer(weights.scales.raw_data, dtype=np.float32)
    block_scales = np.repeat(scales.reshape(width, 1), blocks, axis=1)
    output = matmul.output[0]
    packed, packed_scales = f"{output}/int8", f"{output}/scales"
    graph.added += [
        messages["TensorProto"](
            name=packed, data_type=UINT8, dims=unsigned.shape, raw_data=unsigned.tobytes()
        ),
        messages["TensorProto"](
            name=packed_scales,
            data_type=FLOAT,
            dims=block_scales.shape,
            raw_data=block_scales.astype("<f4").tobytes(),
        ),
    ]
    for name in (weights.table.name, weights.scales.name):
        graph.consumers[name] -= 1
        if graph.consumers[name] == 0:
            graph.unused.add(name)
    product = _node(
        messages,
        "MatMulNBits",
        [matmul.input[0], packed, packed_scales],
        output,
        K=depth,
        N=width,
        bits=8,
        block_size=NBITS_BLOCK,
        accuracy_level=FLOAT32_ACCURACY,
    )
    product.domain = MICROSOFT_DOMAIN
    return [product]
