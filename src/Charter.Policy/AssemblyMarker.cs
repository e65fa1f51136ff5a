// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Policy;

internal static class AssemblyMarker
{
}
