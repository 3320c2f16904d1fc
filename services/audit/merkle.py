"""RFC 6962 / RFC 9162 Merkle tree: hashes, proofs and their verifiers.

leaf hash = SHA-256(0x00 || leaf bytes), node hash = SHA-256(0x01 || left || right).

``MerkleTree`` keeps every complete (power-of-two, aligned) subtree hash in one
contiguous ``bytearray`` per level, so appends are amortised O(1) and any root,
inclusion or consistency proof for any tree size costs O(log^2 n) lookups and
hashes; 1M leaves take ~64 MB.
"""

from __future__ import annotations

import hashlib

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


class ProofError(ValueError):
    """A proof does not verify, or its arguments are out of range."""


def hash_leaf(data: bytes) -> bytes:
    return hashlib.sha256(_LEAF_PREFIX + data).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def _largest_power_of_two_below(n: int) -> int:
    """The k of RFC 6962: largest power of two strictly smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    """Append-only tree over leaf hashes with cached complete-subtree hashes."""

    def __init__(self) -> None:
        # _levels[k] holds the hashes of aligned complete subtrees of 2**k leaves.
        self._levels: list[bytearray] = [bytearray()]

    @property
    def size(self) -> int:
        return len(self._levels[0]) // HASH_SIZE

    def append(self, leaf_hash: bytes) -> None:
        self.extend(leaf_hash)

    def extend(self, leaf_hashes: bytes) -> None:
        """Append leaf hashes given concatenated (32 bytes each)."""
        if len(leaf_hashes) % HASH_SIZE:
            raise ValueError("leaf hashes must be a multiple of 32 bytes")
        self._levels[0] += leaf_hashes
        level = 0
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

    def leaf_hash(self, index: int) -> bytes:
        if not 0 <= index < self.size:
            raise IndexError(index)
        return bytes(self._levels[0][index * HASH_SIZE : (index + 1) * HASH_SIZE])

    def leaf_hashes(self) -> bytes:
        return bytes(self._levels[0])

    def _subtree(self, start: int, count: int) -> bytes:
        """MTH(D[start:start+count]) for 0 < count, start+count <= size."""
        if count & (count - 1) == 0 and start % count == 0:
            level = count.bit_length() - 1
            index = start >> level
            return bytes(self._levels[level][index * HASH_SIZE : (index + 1) * HASH_SIZE])
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
