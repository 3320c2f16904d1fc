"""RFC 6962 / 9162 known answers (vectors from transparency-dev/merkle) and properties."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.audit import merkle
from services.audit.merkle import MerkleTree, ProofError

LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
)]
ROOTS = [bytes.fromhex(h) for h in (
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
)]
# (leaf index 0-based, tree size, proof)
INCLUSION = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (0, 1, []),
]
CONSISTENCY = [
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]


def _tree(leaves: list[bytes]) -> MerkleTree:
    tree = MerkleTree()
    for leaf in leaves:
        tree.append(merkle.hash_leaf(leaf))
    return tree


def _naive_root(hashes: list[bytes]) -> bytes:
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1 << ((len(hashes) - 1).bit_length() - 1)
    return merkle.hash_children(_naive_root(hashes[:k]), _naive_root(hashes[k:]))


def test_empty_tree_root_is_sha256_of_nothing() -> None:
    assert MerkleTree().root() == bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_match_rfc6962_vectors(size: int) -> None:
    assert _tree(LEAVES[:size]).root() == ROOTS[size - 1]
    assert _tree(LEAVES).root(size) == ROOTS[size - 1]


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_inclusion_proofs_match_vectors(index: int, size: int, proof: list[str]) -> None:
    tree = _tree(LEAVES)
    want = [bytes.fromhex(h) for h in proof]
    assert tree.inclusion_proof(index, size) == want
    merkle.verify_inclusion(index, size, merkle.hash_leaf(LEAVES[index]), want, ROOTS[size - 1])


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY)
def test_consistency_proofs_match_vectors(first: int, second: int, proof: list[str]) -> None:
    tree = _tree(LEAVES)
    want = [bytes.fromhex(h) for h in proof]
    assert tree.consistency_proof(first, second) == want
    merkle.verify_consistency(first, second, want, ROOTS[first - 1], ROOTS[second - 1])


@pytest.mark.parametrize(("index", "size", "proof"), [v for v in INCLUSION if v[2]])
def test_corrupted_inclusion_proofs_fail(index: int, size: int, proof: list[str]) -> None:
    good = [bytes.fromhex(h) for h in proof]
    leaf = merkle.hash_leaf(LEAVES[index])
    root = ROOTS[size - 1]
    bad_cases: list[tuple[int, int, bytes, list[bytes], bytes]] = [
        (index + 1, size, leaf, good, root),
        (index, size * 2, leaf, good, root),
        (index, size, merkle.hash_leaf(b"wrong"), good, root),
        (index, size, leaf, good, merkle.EMPTY_ROOT),
        (index, size, leaf, [*good, root], root),
        (index, size, leaf, [root, *good], root),
        (index, size, leaf, good[:-1], root),
    ]
    for i in range(len(good)):
        flipped = list(good)
        flipped[i] = bytes([flipped[i][0] ^ 8]) + flipped[i][1:]
        bad_cases.append((index, size, leaf, flipped, root))
    for case in bad_cases:
        with pytest.raises(ProofError):
            merkle.verify_inclusion(*case)


@pytest.mark.parametrize(("first", "second", "proof"), [v for v in CONSISTENCY if v[2]])
def test_corrupted_consistency_proofs_fail(first: int, second: int, proof: list[str]) -> None:
    good = [bytes.fromhex(h) for h in proof]
    r1, r2 = ROOTS[first - 1], ROOTS[second - 1]
    bad_cases = [
        (first - 1, second, good, r1, r2),
        (first + 1, second, good, r1, r2),
        (first, second * 2, good, r1, r2),
        (first, second, good, r2, r1),
        (first, second, [], r1, r2),
        (first, second, [*good, r1], r1, r2),
        (first, second, [r2, *good], r1, r2),
        (first, second, good[:-1], r1, r2),
    ]
    for case in bad_cases:
        with pytest.raises(ProofError):
            merkle.verify_consistency(*case)


def test_trivial_consistency_cases() -> None:
    merkle.verify_consistency(0, 5, [], merkle.EMPTY_ROOT, ROOTS[4])
    merkle.verify_consistency(3, 3, [], ROOTS[2], ROOTS[2])
    with pytest.raises(ProofError):
        merkle.verify_consistency(3, 3, [], ROOTS[2], ROOTS[3])
    with pytest.raises(ProofError):
        merkle.verify_consistency(2, 1, [], ROOTS[1], ROOTS[0])


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=70), st.data())
def test_proofs_verify_for_every_shape(size: int, data: st.DataObject) -> None:
    hashes = [merkle.hash_leaf(i.to_bytes(4, "big")) for i in range(size)]
    tree = MerkleTree()
    tree.extend(b"".join(hashes[: size // 2]))
    for h in hashes[size // 2 :]:
        tree.append(h)
    second = data.draw(st.integers(min_value=1, max_value=size))
    first = data.draw(st.integers(min_value=1, max_value=second))
    index = data.draw(st.integers(min_value=0, max_value=second - 1))
    assert tree.root(second) == _naive_root(hashes[:second])
    merkle.verify_inclusion(index, second, hashes[index], tree.inclusion_proof(index, second), tree.root(second))
    merkle.verify_consistency(
        first, second, tree.consistency_proof(first, second), tree.root(first), tree.root(second)
    )


def test_out_of_range_requests_raise() -> None:
    tree = _tree(LEAVES[:3])
    with pytest.raises(ProofError):
        tree.inclusion_proof(3, 3)
    with pytest.raises(ProofError):
        tree.root(4)
    with pytest.raises(ProofError):
        tree.consistency_proof(2, 4)


class CountingSource:
    """Leaf hashes as a log store returns them, counting the reads."""

    def __init__(self, hashes: list[bytes]) -> None:
        self.hashes = hashes
        self.reads: list[tuple[int, int]] = []

    def __call__(self, start: int, end: int) -> bytes:
        self.reads.append((start, end))
        return b"".join(self.hashes[start:end])


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=0, max_value=4), st.integers(min_value=1, max_value=140), st.data())
def test_a_tree_keeping_only_upper_levels_gives_the_same_roots_and_proofs(
    memory_level: int, size: int, data: st.DataObject
) -> None:
    hashes = [merkle.hash_leaf(i.to_bytes(4, "big")) for i in range(size)]
    full = MerkleTree()
    source = CountingSource(hashes)
    tiled = MerkleTree(source, memory_level=memory_level)
    cut = data.draw(st.integers(min_value=0, max_value=size))
    for tree in (full, tiled):  # one bulk load, then single appends across block boundaries
        tree.extend(b"".join(hashes[:cut]))
        for h in hashes[cut:]:
            tree.append(h)
    assert tiled.size == full.size == size
    second = data.draw(st.integers(min_value=1, max_value=size))
    first = data.draw(st.integers(min_value=0, max_value=second))
    index = data.draw(st.integers(min_value=0, max_value=second - 1))
    assert tiled.root(second) == full.root(second) == _naive_root(hashes[:second])
    assert tiled.leaf_hash(index) == hashes[index]
    assert tiled.inclusion_proof(index, second) == full.inclusion_proof(index, second)
    assert tiled.consistency_proof(first, second) == full.consistency_proof(first, second)
    block = 1 << memory_level
    for start, end in source.reads:  # only whole, complete blocks are read back
        assert start % block == 0 and end == start + block <= size - size % block


def test_upper_levels_take_a_fraction_of_the_memory_and_read_one_block_per_proof() -> None:
    size = 5000
    hashes = [merkle.hash_leaf(i.to_bytes(4, "big")) for i in range(size)]
    source = CountingSource(hashes)
    tiled = MerkleTree(source, memory_level=6)
    tiled.extend(b"".join(hashes))
    full = MerkleTree()
    full.extend(b"".join(hashes))
    assert full.memory_bytes > 60 * size  # ~2 * 32 bytes per leaf
    assert tiled.memory_bytes < 2 * 32 * size // 64 + 64 * 32
    assert tiled.root() == _naive_root(hashes) and source.reads == [], "the root needs no read-back"
    merkle.verify_inclusion(1234, size, hashes[1234], tiled.inclusion_proof(1234, size), tiled.root())
    assert source.reads == [(1216, 1280)]
    tiled.inclusion_proof(1235, size)
    assert source.reads == [(1216, 1280)], "the block is cached"
    assert tiled.root(size - 1) == _naive_root(hashes[: size - 1])  # the last, incomplete block is in memory
    assert len(source.reads) == 1


def test_a_short_read_back_is_an_error_not_a_wrong_proof() -> None:
    hashes = [merkle.hash_leaf(i.to_bytes(4, "big")) for i in range(40)]
    tiled = MerkleTree(lambda start, end: b"".join(hashes[start : end - 1]), memory_level=3)
    tiled.extend(b"".join(hashes))
    with pytest.raises(ValueError, match="leaf source returned"):
        tiled.inclusion_proof(3, 40)
    with pytest.raises(ValueError, match="needs a leaf_source"):
        MerkleTree(memory_level=3)
