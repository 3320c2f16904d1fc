"""RFC 6962 / RFC 9162 Merkle tree: hashes, proofs and their verifiers.

leaf hash = SHA-256(0x00 || leaf bytes), node hash = SHA-256(0x01 || left || right).

``MerkleTree`` keeps complete (power-of-two, aligned) subtree hashes in one
contiguous ``bytearray`` per level, so appends are amortised O(1) and any root,
inclusion or consistency proof for any tree size costs O(log^2 n) lookups and
hashes. Every level: 1M leaves take ~64 MB. From level k up (``memory_level``):
64 MB / 2**k, the lower hashes recomputed from a block of 2**k leaves read back
from the log when a proof needs them.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"
_CACHED_BLOCKS = 8  # complete blocks read back for proofs: a proof touches one or two


class ProofError(ValueError):
    """A proof does not verify, or its arguments are out of range."""


def hash_leaf(data: bytes) -> bytes:
    return hashlib.sha256(_LEAF_PREFIX + data).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def _largest_power_of_two_below(n: int) -> int:
    """The k of RFC 6962: largest power of two strictly smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _perfect_root(hashes: bytes) -> bytes:
    """MTH of 2**j concatenated leaf hashes, level by level."""
    sha256 = hashlib.sha256
    while len(hashes) > HASH_SIZE:
        hashes = b"".join(sha256(_NODE_PREFIX + hashes[i : i + 64]).digest() for i in range(0, len(hashes), 64))
    return hashes


def _root_of(hashes: bytes) -> bytes:
    """MTH of one or more concatenated leaf hashes (RFC 9162 section 2.1.1)."""
    count = len(hashes) // HASH_SIZE
    if count & (count - 1) == 0:
        return _perfect_root(hashes)
    split = _largest_power_of_two_below(count) * HASH_SIZE
    return hash_children(_root_of(hashes[:split]), _root_of(hashes[split:]))


class MerkleTree:
    """Append-only tree over leaf hashes with cached complete-subtree hashes.

    ``memory_level`` k > 0 keeps only the hashes of aligned complete subtrees of 2**k leaves or more,
    plus the leaves of the last, incomplete block of 2**k: 1M leaves take 64 MB / 2**k. A hash below
    that level is recomputed from its block's leaves, read with ``leaf_source(start, end)`` (the
    concatenated leaf hashes of [start, end), which must be durable and never change). Proofs may then
    do I/O: call them off the event loop. Appends stay in memory; readers in other threads see a
    consistent tree while one thread appends.
    """

    def __init__(self, leaf_source: Callable[[int, int], bytes] | None = None, memory_level: int = 0) -> None:
        if memory_level and leaf_source is None:
            raise ValueError("memory_level > 0 needs a leaf_source")
        self._source = leaf_source
        self._base = memory_level
        self._block = 1 << memory_level
        # _levels[j] (j >= memory_level) holds the hashes of aligned complete subtrees of 2**j leaves.
        self._levels: list[bytearray] = [bytearray() for _ in range(memory_level + 1)]
        # (first sequence, leaf hashes) of the incomplete last block: one attribute, replaced, never mutated.
        self._tail: tuple[int, bytes] = (0, b"")
        self._blocks: OrderedDict[int, bytes] = OrderedDict()  # recently read complete blocks
        self._blocks_lock = threading.Lock()

    @property
    def size(self) -> int:
        start, tail = self._tail
        return start + len(tail) // HASH_SIZE

    @property
    def memory_bytes(self) -> int:
        """Bytes of hashes held: the kept levels, the last block's leaves and the cached blocks."""
        with self._blocks_lock:
            cached = sum(len(block) for block in self._blocks.values())
        return sum(len(level) for level in self._levels) + len(self._tail[1]) + cached

    def append(self, leaf_hash: bytes) -> None:
        self.extend(leaf_hash)

    def extend(self, leaf_hashes: bytes) -> None:
        """Append leaf hashes given concatenated (32 bytes each)."""
        if len(leaf_hashes) % HASH_SIZE:
            raise ValueError("leaf hashes must be a multiple of 32 bytes")
        tail_start, tail = self._tail
        pending = tail + leaf_hashes
        width = self._block * HASH_SIZE
        whole = len(pending) // width
        if self._base == 0:
            self._levels[0] += pending
        else:
            self._levels[self._base] += b"".join(
                _perfect_root(pending[b * width : (b + 1) * width]) for b in range(whole)
            )
        self._cascade()
        self._tail = (tail_start + whole * self._block, bytes(pending[whole * width :]))

    def _cascade(self) -> None:
        """Hash every pair of complete subtrees not yet combined, from the lowest kept level up."""
        level = self._base
        while True:
            below = self._levels[level]
            want = len(below) // HASH_SIZE // 2
            if level + 1 == len(self._levels):
                if want == 0:
                    return
                self._levels.append(bytearray())
            above = self._levels[level + 1]
            have = len(above) // HASH_SIZE
            if have == want:
                return
            sha256 = hashlib.sha256
            for i in range(have, want):
                above += sha256(_NODE_PREFIX + below[i * 64 : i * 64 + 64]).digest()
            level += 1

    @property
    def memory_level(self) -> int:
        return self._base

    @property
    def complete_blocks(self) -> int:
        """How many complete blocks of 2**memory_level leaves the tree holds."""
        return self._tail[0] >> self._base

    def block_hashes(self, start: int, end: int) -> bytes:
        """Concatenated hashes of complete blocks [start, end) (each the root of its 2**memory_level leaves)."""
        if not 0 <= start <= end <= self.complete_blocks:
            raise IndexError(f"blocks {start}..{end} of {self.complete_blocks}")
        return bytes(self._levels[self._base][start * HASH_SIZE : end * HASH_SIZE])

    def extend_blocks(self, block_hashes: bytes) -> None:
        """Append whole blocks given by their hashes (e.g. stored earlier), instead of their leaves.

        Only while no incomplete block is pending. The leaves themselves stay where ``leaf_source``
        reads them; the tree takes the hashes on trust, so check its root against a signed one."""
        if len(block_hashes) % HASH_SIZE:
            raise ValueError("block hashes must be a multiple of 32 bytes")
        tail_start, tail = self._tail
        if tail:
            raise ValueError("whole blocks can only follow whole blocks")
        self._levels[self._base] += block_hashes
        self._cascade()
        self._tail = (tail_start + len(block_hashes) // HASH_SIZE * self._block, b"")

    def _leaves(self, start: int, end: int) -> bytes:
        """Leaf hashes of [start, end), within one block of 2**memory_level leaves."""
        if self._base == 0:
            return bytes(self._levels[0][start * HASH_SIZE : end * HASH_SIZE])
        tail_start, tail = self._tail
        if start >= tail_start:
            return tail[(start - tail_start) * HASH_SIZE : (end - tail_start) * HASH_SIZE]
        first = start - start % self._block
        with self._blocks_lock:
            block = self._blocks.get(first)
            if block is not None:
                self._blocks.move_to_end(first)
        if block is None:
            assert self._source is not None
            block = self._source(first, first + self._block)
            if len(block) != self._block * HASH_SIZE:
                raise ValueError(f"leaf source returned {len(block)} bytes for leaves {first}..{first + self._block}")
            with self._blocks_lock:
                self._blocks[first] = block
                while len(self._blocks) > _CACHED_BLOCKS:
                    self._blocks.popitem(last=False)
        return block[(start - first) * HASH_SIZE : (end - first) * HASH_SIZE]

    def leaf_hash(self, index: int) -> bytes:
        if not 0 <= index < self.size:
            raise IndexError(index)
        return self._leaves(index, index + 1)

    def _subtree(self, start: int, count: int) -> bytes:
        """MTH(D[start:start+count]) for 0 < count, start+count <= size.

        As RFC 9162 recurses, ``start`` is a multiple of the power of two at or above ``count``, so a
        subtree of at most 2**memory_level leaves lies within one block."""
        if count & (count - 1) == 0 and start % count == 0:
            level = count.bit_length() - 1
            if level >= self._base:
                index = start >> level
                return bytes(self._levels[level][index * HASH_SIZE : (index + 1) * HASH_SIZE])
        if count <= self._block:
            return _root_of(self._leaves(start, start + count))
        split = _largest_power_of_two_below(count)
        return hash_children(self._subtree(start, split), self._subtree(start + split, count - split))

    def _check_size(self, tree_size: int) -> None:
        if not 0 <= tree_size <= self.size:
            raise ProofError(f"tree size {tree_size} out of range (have {self.size})")

    def root(self, tree_size: int | None = None) -> bytes:
        tree_size = self.size if tree_size is None else tree_size
        self._check_size(tree_size)
        return EMPTY_ROOT if tree_size == 0 else self._subtree(0, tree_size)

    def inclusion_proof(self, index: int, tree_size: int) -> list[bytes]:
        """RFC 9162 PATH(index, D[0:tree_size]), leaf to root."""
        self._check_size(tree_size)
        if not 0 <= index < tree_size:
            raise ProofError(f"leaf {index} not in a tree of size {tree_size}")
        proof: list[bytes] = []
        start, count, m = 0, tree_size, index
        while count > 1:
            split = _largest_power_of_two_below(count)
            if m < split:
                proof.append(self._subtree(start + split, count - split))
                count = split
            else:
                proof.append(self._subtree(start, split))
                start, count, m = start + split, count - split, m - split
        proof.reverse()
        return proof

    def consistency_proof(self, first_size: int, second_size: int) -> list[bytes]:
        """RFC 9162 PROOF(first_size, D[0:second_size])."""
        self._check_size(second_size)
        if not 0 <= first_size <= second_size:
            raise ProofError(f"first size {first_size} not within 0..{second_size}")
        if first_size in (0, second_size):
            return []
        proof: list[bytes] = []
        start, count, m, whole = 0, second_size, first_size, True
        while m != count:
            split = _largest_power_of_two_below(count)
            if m <= split:
                proof.append(self._subtree(start + split, count - split))
                count = split
            else:
                proof.append(self._subtree(start, split))
                start, count, m, whole = start + split, count - split, m - split, False
        if not whole:
            proof.append(self._subtree(start, m))
        proof.reverse()
        return proof


def _check_hash(name: str, value: bytes) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{name} is {len(value)} bytes, want {HASH_SIZE}")


def root_from_inclusion_proof(index: int, tree_size: int, leaf_hash: bytes, proof: list[bytes]) -> bytes:
    """RFC 9162 section 2.1.3.2: the root the proof implies."""
    if not 0 <= index < tree_size:
        raise ProofError(f"leaf {index} not in a tree of size {tree_size}")
    _check_hash("leaf hash", leaf_hash)
    fn, sn, r = index, tree_size - 1, leaf_hash
    for p in proof:
        _check_hash("proof hash", p)
        if sn == 0:
            raise ProofError("inclusion proof too long")
        if fn & 1 or fn == sn:
            r = hash_children(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = hash_children(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof too short")
    return r


def verify_inclusion(index: int, tree_size: int, leaf_hash: bytes, proof: list[bytes], root: bytes) -> None:
    """Raise ProofError unless ``proof`` shows leaf ``index`` in the tree with ``root``."""
    _check_hash("root", root)
    if root_from_inclusion_proof(index, tree_size, leaf_hash, proof) != root:
        raise ProofError("inclusion proof does not lead to the root")


def verify_consistency(
    first_size: int, second_size: int, proof: list[bytes], first_root: bytes, second_root: bytes
) -> None:
    """RFC 9162 section 2.1.4.2; raise ProofError unless the trees are consistent."""
    if not 0 <= first_size <= second_size:
        raise ProofError(f"first size {first_size} greater than second size {second_size}")
    if first_size == second_size:
        if proof:
            raise ProofError("proof must be empty for equal sizes")
        if first_root != second_root:
            raise ProofError("roots differ for equal sizes")
        return
    if first_size == 0:
        if proof:
            raise ProofError("proof must be empty from the empty tree")
        return
    if not proof:
        raise ProofError("empty consistency proof")
    for p in proof:
        _check_hash("proof hash", p)
    _check_hash("first root", first_root)
    _check_hash("second root", second_root)
    path = list(proof)
    if first_size & (first_size - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first_size - 1, second_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof too long")
        if fn & 1 or fn == sn:
            fr = hash_children(c, fr)
            sr = hash_children(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = hash_children(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof too short")
    if fr != first_root or sr != second_root:
        raise ProofError("consistency proof does not lead to the roots")
