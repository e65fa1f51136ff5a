// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;

namespace Charter.Sim;

public sealed partial class Simulator
{
    /// <summary>Largest <c>limit</c> of <c>GET /v1/responses/{id}/input_items</c>.</summary>
    private const int MaxInputItemsLimit = 100;

    /// <summary>The stored-response routes (<c>GET|DELETE /v1/responses/{id}</c>, <c>GET …/{id}/input_items</c>,
    /// <c>POST …/{id}/cancel</c>), after the checks and faults shared with the other API routes.</summary>
    /// <remarks>
    /// An id that is not stored is 404 <c>Response with id '…' not found.</c>; cancel of a stored one is 400 (only background
    /// responses can be cancelled, and the simulator makes none). A drop fault cuts the answer half-way (a delete still deletes).
    /// </remarks>
    private SimResponse Stored(in SimRequest request, string requestId, bool drop)
    {
        var id = request.Deployment ?? string.Empty;
        switch (request.Endpoint)
        {
            case SimEndpoint.ResponseDelete:
                return _stored.Remove(id)
                    ? Json(requestId, static (w, i) => ResponsesWriter.WriteDeleted(w, i), id, drop: drop)
                    : Error(ResponsesErrors.ResponseNotFound(id), requestId);
            case SimEndpoint.ResponseInputItems:
                return InputItems(request, id, requestId, drop);
        }

        var stored = _stored.Get(id);
        if (stored is null)
        {
            return Error(ResponsesErrors.ResponseNotFound(id), requestId);
        }

        if (request.Endpoint == SimEndpoint.ResponseCancel)
        {
            return Error(ResponsesErrors.CannotCancelSynchronous, requestId);
        }

        var body = new PooledBufferWriter(stored.Json.Length);
        body.Write(stored.Json);
        return new SimResponse { Body = body, RequestId = requestId, Drop = drop };
    }

    /// <summary><c>GET …/responses/{id}/input_items?limit=&amp;order=&amp;after=</c> (limit 1–100, default 20; order <c>desc</c> by default).</summary>
    private SimResponse InputItems(in SimRequest request, string id, string requestId, bool drop)
    {
        var query = request.Query ?? string.Empty;
        var limit = 20;
        if (SimRoute.QueryValue(query, "limit") is { } rawLimit)
        {
            if (!int.TryParse(rawLimit, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out limit))
            {
                return Error(SimError.InvalidType("limit", "an integer"), requestId);
            }

            if (limit < 1)
            {
                return Error(ResponsesErrors.IntegerBelowMin("limit", 1, limit), requestId);
            }

            if (limit > MaxInputItemsLimit)
            {
                return Error(ResponsesErrors.IntegerAboveMax("limit", MaxInputItemsLimit, limit), requestId);
            }
        }

        var order = SimRoute.QueryValue(query, "order");
        if (order is not (null or "asc" or "desc"))
        {
            return Error(ResponsesErrors.Unsupported("order", order, "'asc' and 'desc'"), requestId);
        }

        var stored = _stored.Get(id);
        if (stored is null)
        {
            return Error(ResponsesErrors.ResponseNotFound(id), requestId);
        }

        var page = (Stored: stored, Limit: limit, Ascending: order == "asc", After: SimRoute.QueryValue(query, "after"));
        return Json(requestId, static (w, p) => ResponsesWriter.WriteInputItems(w, p.Stored, p.Limit, p.Ascending, p.After), page, drop: drop);
    }
}
