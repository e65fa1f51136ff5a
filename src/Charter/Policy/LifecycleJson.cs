// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json;
using Charter.Policy.Lifecycle;

namespace Charter.Policy;

/// <summary>The JSON form of lifecycles and transitions as stored in the database (the <c>lifecycle</c> column, history detail).</summary>
public static class LifecycleJson
{
    /// <summary>Serializes a lifecycle.</summary>
    public static string Serialize(EntityLifecycle lifecycle) => JsonSerializer.Serialize(lifecycle, LifecycleJsonContext.Default.EntityLifecycle);

    /// <summary>Serializes a transition.</summary>
    public static string Serialize(LifecycleTransition transition) => JsonSerializer.Serialize(transition, LifecycleJsonContext.Default.LifecycleTransition);

    /// <summary>Reads a lifecycle; null for null, empty or malformed input.</summary>
    public static EntityLifecycle? DeserializeLifecycle(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, LifecycleJsonContext.Default.EntityLifecycle);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads a transition; null for null, empty or malformed input (or JSON that is not a transition).</summary>
    public static LifecycleTransition? DeserializeTransition(string? json)
    {
        if (string.IsNullOrEmpty(json) || !json.Contains("\"entity_id\"", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, LifecycleJsonContext.Default.LifecycleTransition);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The database table of an entity kind.</summary>
    public static string Table(EntityKind kind) => kind switch
    {
        EntityKind.Key => "api_keys",
        EntityKind.Team => "teams",
        _ => "accounts",
    };
}
