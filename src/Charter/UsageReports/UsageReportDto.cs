// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.UsageReports;

/// <summary>The answer of <c>GET /admin/v1/usage</c> and <c>charter usage --json</c>.</summary>
public sealed record UsageReportDto(IReadOnlyList<string> GroupBy, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<UsageRowDto> Rows, UsageRowDto Total)
{
    /// <summary>Builds the report with its total row.</summary>
    public static UsageReportDto Create(IReadOnlyList<UsageDimension> groupBy, DateTimeOffset? from, DateTimeOffset? to, IReadOnlyList<UsageRow> rows)
    {
        ArgumentNullException.ThrowIfNull(groupBy);
        ArgumentNullException.ThrowIfNull(rows);
        var names = new string[groupBy.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = UsageGrouping.Name(groupBy[i]);
        }

        var dtos = new UsageRowDto[rows.Count];
        long requests = 0, prompt = 0, completion = 0, nanos = 0;
        for (var i = 0; i < dtos.Length; i++)
        {
            var r = rows[i];
            dtos[i] = UsageRowDto.From(r);
            requests += r.Requests;
            prompt += r.PromptTokens;
            completion += r.CompletionTokens;
            nanos += r.CostNanos;
        }

        var total = UsageRowDto.From(new UsageRow { Requests = requests, PromptTokens = prompt, CompletionTokens = completion, CostNanos = nanos });
        return new UsageReportDto(names, from, to, dtos, total);
    }
}
