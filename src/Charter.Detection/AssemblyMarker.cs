// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

internal static class AssemblyMarker
{
}
