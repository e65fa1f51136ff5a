// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval;

internal static class AssemblyMarker
{
}
