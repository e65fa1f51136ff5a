// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Redis;

internal static class AssemblyMarker
{
}
