// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Audit;

internal static class AssemblyMarker
{
}
