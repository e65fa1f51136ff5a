// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Charter.Policy;

/// <summary>Writes lifecycle enums in their snake_case wire form (<c>under_review</c>, <c>place_hold</c>, <c>provider_suspended</c>).</summary>
/// <typeparam name="TEnum">The enum.</typeparam>
internal sealed class SnakeCaseEnumConverter<TEnum> : JsonStringEnumConverter<TEnum>
    where TEnum : struct, Enum
{
    /// <summary>Creates the converter.</summary>
    public SnakeCaseEnumConverter()
        : base(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: true)
    {
    }
}
