// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Tests.Common;

internal static class AssemblyMarker
{
}
