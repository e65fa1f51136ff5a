// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter;

internal static class AssemblyMarker
{
}
