// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Accounting;

/// <summary>A change that every gateway instance must apply to its caches.</summary>
/// <param name="Entity">What kind of thing changed.</param>
/// <param name="Id">Its id (key id, team id, account id; empty for <see cref="ChangeEntity.All"/>). Never a secret.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Origin">Instance that published it (lets a publisher ignore its own echo); null when unknown.</param>
public sealed record ChangeNotification(ChangeEntity Entity, string Id, ChangeKind Kind, string? Origin = null);
