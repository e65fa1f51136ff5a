// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Storage;

internal static class AssemblyMarker
{
}
