"""A hint to the processor, inside a compiled kernel, to fetch an array element into its caches.

Why: Flee's movement kernel visits the people who move today in index order, a few in ten
of them, and reads a dozen per-person arrays for each (status, place, link, distance...):
a dozen cache lines a person, each its own memory stream, too many and too sparse for the
processor's own prefetchers to follow, so that most reads wait for memory. Asking for
person ``k + ahead``'s lines while working on person ``k`` lets those reads overlap
(``behaviours.flee_kernels``). A hint changes no result: it never faults and is dropped if
the processor is busy.

Use ``prefetch.element(array, index)`` through the module (``from ..engine import prefetch``):
the intrinsic exists only once Numba is loaded (:func:`caravana.engine.jit.when_numba_loads`),
and a kernel resolves a module's attribute when it is compiled, not when it is imported.
The intrinsic is expanded in place (no call, nothing reference-counted).
"""

from __future__ import annotations

from typing import Any

from .jit import when_numba_loads

element: Any = None  # element(array, index): prefetch array[index] for writing (set once Numba loads)


@when_numba_loads
def _numba_parts() -> None:
    global element
    from llvmlite import ir
    from numba import types
    from numba.extending import intrinsic

    @intrinsic
    def prefetch_element(typingctx, array, index):
        """``llvm.prefetch`` of ``array[index]`` (a 1-D array, an integer index not checked:
        a hint for an address past the end does nothing), for writing, kept in all caches."""
        if not isinstance(array, types.Array) or array.ndim != 1 or not isinstance(index, types.Integer):
            return None
        sig = types.void(array, index)

        def codegen(context, builder, signature, args):
            data = context.make_array(signature.args[0])(context, builder, args[0]).data
            byte = ir.IntType(8).as_pointer()
            word = ir.IntType(32)
            hint = builder.module.declare_intrinsic(
                "llvm.prefetch", fnty=ir.FunctionType(ir.VoidType(), [byte, word, word, word]))
            # (address, 1 = for writing, 3 = keep in every cache level, 1 = data)
            builder.call(hint, [builder.bitcast(builder.gep(data, [args[1]]), byte),
                                ir.Constant(word, 1), ir.Constant(word, 3), ir.Constant(word, 1)])
            return context.get_dummy_value()

        return sig, codegen

    element = prefetch_element
