// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Charter.Admin;

/// <summary>Source-generated JSON for the admin API (snake_case, as OpenAI's own APIs).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CreateTeamRequest))]
[JsonSerializable(typeof(TeamDto))]
[JsonSerializable(typeof(ListDto<TeamDto>))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(KeyDto))]
[JsonSerializable(typeof(ListDto<KeyDto>))]
[JsonSerializable(typeof(RotateKeyRequest))]
[JsonSerializable(typeof(UpdateKeyRequest))]
[JsonSerializable(typeof(CreateAdminKeyRequest))]
[JsonSerializable(typeof(AdminKeyDto))]
[JsonSerializable(typeof(AdminKeyInfoDto))]
[JsonSerializable(typeof(WhoAmIDto))]
[JsonSerializable(typeof(ListDto<AdminKeyInfoDto>))]
[JsonSerializable(typeof(HistoryDto))]
[JsonSerializable(typeof(ListDto<HistoryDto>))]
[JsonSerializable(typeof(RequestDto))]
[JsonSerializable(typeof(ListDto<RequestDto>))]
[JsonSerializable(typeof(Charter.Detection.FindingRecord))]
[JsonSerializable(typeof(ListDto<Charter.Detection.FindingRecord>))]
[JsonSerializable(typeof(ProblemDetails))]
public sealed partial class AdminJsonContext : JsonSerializerContext
{
}
