// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Eval.Running;

/// <summary>Live progress of a run, one <see cref="ModelProgress"/> per model; read by the progress display.</summary>
public sealed class RunProgress
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IReadOnlyList<ModelProgress> _models = [];

    /// <summary>Per-model counters (empty until the run has prepared its work).</summary>
    public IReadOnlyList<ModelProgress> Models => _models;

    /// <summary>Completes when the run has prepared its work and the counters exist.</summary>
    public Task Started => _started.Task;

    /// <summary>The run id, once known.</summary>
    public string? RunId { get; private set; }

    internal void Start(string runId, IReadOnlyList<ModelProgress> models)
    {
        RunId = runId;
        _models = models;
        _started.TrySetResult();
    }
}
