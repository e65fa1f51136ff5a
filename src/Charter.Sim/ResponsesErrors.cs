// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Globalization;

namespace Charter.Sim;

/// <summary>Validation errors of the Responses route, worded and coded like OpenAI's (<c>{"error":{"message","type","param","code"}}</c>, 400).</summary>
internal static class ResponsesErrors
{
    /// <summary><c>POST /v1/responses/{id}/cancel</c> on a response that was not created with <c>background:true</c> (all of the simulator's).</summary>
    public static readonly SimError CannotCancelSynchronous = new(
        400,
        "Cannot cancel a synchronous response.",
        "invalid_request_error",
        null,
        null);

    /// <summary>A top-level member the Responses API does not know: the real API refuses it, so a gateway's translation mistake shows.</summary>
    public static SimError UnknownParameter(string param) => new(
        400,
        $"Unknown parameter: '{param}'.",
        "invalid_request_error",
        param,
        "unknown_parameter");

    public static SimError IntegerBelowMin(string param, int min, int value) => new(
        400,
        string.Create(CultureInfo.InvariantCulture, $"Invalid '{param}': integer below minimum value. Expected a value >= {min}, but got {value} instead."),
        "invalid_request_error",
        param,
        "integer_below_min_value");

    public static SimError IntegerAboveMax(string param, int max, int value) => new(
        400,
        string.Create(CultureInfo.InvariantCulture, $"Invalid '{param}': integer above maximum value. Expected a value <= {max}, but got {value} instead."),
        "invalid_request_error",
        param,
        "integer_above_max_value");

    public static SimError DecimalBelowMin(string param, double min, double value) => new(
        400,
        string.Create(CultureInfo.InvariantCulture, $"Invalid '{param}': decimal below minimum value. Expected a value >= {min}, but got {value} instead."),
        "invalid_request_error",
        param,
        "decimal_below_min_value");

    public static SimError DecimalAboveMax(string param, double max, double value) => new(
        400,
        string.Create(CultureInfo.InvariantCulture, $"Invalid '{param}': decimal above maximum value. Expected a value <= {max}, but got {value} instead."),
        "invalid_request_error",
        param,
        "decimal_above_max_value");

    /// <summary><c>previous_response_id</c> names no stored response (never made, not stored, deleted or dropped from the store).</summary>
    public static SimError PreviousResponseNotFound(string id) => new(
        400,
        $"Previous response with id '{id}' not found.",
        "invalid_request_error",
        "previous_response_id",
        "previous_response_not_found");

    /// <summary>A stored-response route named an id that is not stored: 404.</summary>
    public static SimError ResponseNotFound(string id) => new(
        404,
        $"Response with id '{id}' not found.",
        "invalid_request_error",
        null,
        null);

    /// <summary>A string outside its enumeration: <c>Invalid value: 'x'. Supported values are: 'a', 'b'.</c></summary>
    public static SimError Unsupported(string param, string? value, string supported) => new(
        400,
        $"Invalid value: '{value}'. Supported values are: {supported}.",
        "invalid_request_error",
        param,
        "invalid_value");
}
