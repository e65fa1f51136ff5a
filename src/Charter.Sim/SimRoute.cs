// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Sim;

/// <summary>Matches a request path to a simulator route (used by the in-process handler).</summary>
internal static class SimRoute
{
    /// <summary>Control routes under <c>/_sim/</c>.</summary>
    public enum Control
    {
        None,
        Requests,
        Reset,
        Config,
    }

    /// <summary>Matches an API route (<c>/v1/messages</c> and <c>/v1/messages/count_tokens</c> are Anthropic's); <paramref name="name"/> receives the deployment, model or response id.</summary>
    /// <param name="path">The path after the prefix.</param>
    /// <param name="method">The HTTP method (<c>GET</c>, <c>POST</c>, <c>DELETE</c>…).</param>
    /// <param name="endpoint">The operation matched.</param>
    /// <param name="flavor">The URL form matched.</param>
    /// <param name="name">The deployment, model or response id in the path, if any.</param>
    public static bool TryMatchApi(ReadOnlySpan<char> path, string method, out SimEndpoint endpoint, out SimFlavor flavor, out string? name)
    {
        var isPost = method == "POST";
        endpoint = default;
        flavor = SimFlavor.OpenAI;
        name = null;
        ReadOnlySpan<char> rest;
        if (path.StartsWith("/v1/"))
        {
            rest = path[4..];
        }
        else if (path.StartsWith("/openai/v1/"))
        {
            flavor = SimFlavor.AzureV1;
            rest = path[11..];
        }
        else if (path.StartsWith("/openai/deployments/"))
        {
            flavor = SimFlavor.AzureClassic;
            rest = path[20..];
            var slash = rest.IndexOf('/');
            if (slash <= 0)
            {
                return false;
            }

            name = Uri.UnescapeDataString(rest[..slash].ToString());
            rest = rest[(slash + 1)..];
        }
        else
        {
            return false;
        }

        rest = rest.TrimEnd('/');
        if (isPost && rest.SequenceEqual("chat/completions"))
        {
            endpoint = SimEndpoint.ChatCompletions;
            return true;
        }

        if (isPost && rest.SequenceEqual("completions"))
        {
            endpoint = SimEndpoint.Completions;
            return true;
        }

        if (isPost && rest.SequenceEqual("embeddings"))
        {
            endpoint = SimEndpoint.Embeddings;
            return true;
        }

        // Azure OpenAI has no moderations endpoint: its URL forms stay unmatched (404).
        if (isPost && flavor == SimFlavor.OpenAI && rest.SequenceEqual("moderations"))
        {
            endpoint = SimEndpoint.Moderations;
            return true;
        }

        if (isPost && flavor != SimFlavor.AzureClassic && rest.SequenceEqual("responses"))
        {
            endpoint = SimEndpoint.Responses;
            return true;
        }

        if (flavor != SimFlavor.AzureClassic && rest.StartsWith("responses/") && TryMatchStored(rest[10..], method, out endpoint, out name))
        {
            return true;
        }

        if (isPost && flavor == SimFlavor.OpenAI && rest.SequenceEqual("messages"))
        {
            endpoint = SimEndpoint.Messages;
            flavor = SimFlavor.Anthropic;
            return true;
        }

        if (isPost && flavor == SimFlavor.OpenAI && rest.SequenceEqual("messages/count_tokens"))
        {
            endpoint = SimEndpoint.MessagesCountTokens;
            flavor = SimFlavor.Anthropic;
            return true;
        }

        if (isPost || flavor == SimFlavor.AzureClassic)
        {
            return false;
        }

        if (rest.SequenceEqual("models"))
        {
            endpoint = SimEndpoint.Models;
            return true;
        }

        if (flavor == SimFlavor.OpenAI && rest.StartsWith("models/") && rest.Length > 7)
        {
            endpoint = SimEndpoint.Model;
            name = Uri.UnescapeDataString(rest[7..].ToString());
            return true;
        }

        return false;
    }

    /// <summary>Matches <c>{id}</c> (GET, DELETE), <c>{id}/input_items</c> (GET) or <c>{id}/cancel</c> (POST) after <c>responses/</c>.</summary>
    private static bool TryMatchStored(ReadOnlySpan<char> rest, string method, out SimEndpoint endpoint, out string? name)
    {
        endpoint = default;
        name = null;
        var slash = rest.IndexOf('/');
        var id = slash < 0 ? rest : rest[..slash];
        var tail = slash < 0 ? default : rest[(slash + 1)..];
        if (id.IsEmpty)
        {
            return false;
        }

        if (tail.IsEmpty && method is "GET" or "DELETE")
        {
            endpoint = method == "GET" ? SimEndpoint.ResponseGet : SimEndpoint.ResponseDelete;
        }
        else if (tail.SequenceEqual("input_items") && method == "GET")
        {
            endpoint = SimEndpoint.ResponseInputItems;
        }
        else if (tail.SequenceEqual("cancel") && method == "POST")
        {
            endpoint = SimEndpoint.ResponseCancel;
        }
        else
        {
            return false;
        }

        name = Uri.UnescapeDataString(id.ToString());
        return true;
    }

    /// <summary>Matches a control route.</summary>
    public static Control MatchControl(ReadOnlySpan<char> path)
    {
        path = path.TrimEnd('/');
        return path switch
        {
            "/_sim/requests" => Control.Requests,
            "/_sim/reset" => Control.Reset,
            "/_sim/config" => Control.Config,
            _ => Control.None,
        };
    }

    /// <summary>Returns the value of query parameter <paramref name="key"/> or null.</summary>
    public static string? QueryValue(string query, string key)
    {
        var rest = query.AsSpan().TrimStart('?');
        while (!rest.IsEmpty)
        {
            var amp = rest.IndexOf('&');
            var pair = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? default : rest[(amp + 1)..];
            var eq = pair.IndexOf('=');
            var k = eq < 0 ? pair : pair[..eq];
            if (k.SequenceEqual(key))
            {
                return eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].ToString());
            }
        }

        return null;
    }
}
