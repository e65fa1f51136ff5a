// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

internal static class AssemblyMarker
{
}
