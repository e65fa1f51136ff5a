// Copyright (c) Charter contributors. Licensed under the MIT License.

using System.CommandLine;
using Charter.Policy.Lifecycle;

namespace Charter.Cli.Commands;

/// <summary><c>charter keys suspend|reinstate|ban|review|…|history</c>.</summary>
internal static partial class KeysCommands
{
    static partial void AddLifecycle(Command keys, Option<string> db) => LifecycleCommands.AddTo(keys, EntityKind.Key, db);
}
