// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>The eleven harvesting signals (issue 5). Each is a value in [0, 1]; see docs/detection.md.</summary>
public enum DetectionSignal
{
    /// <summary>Requests and output tokens against the key's own 7-day baseline and the population.</summary>
    Volume = 0,

    /// <summary>Share of long generative outputs from short prompts (output/input ratio) and of large max_tokens.</summary>
    OutputRatio = 1,

    /// <summary>Share of generative prompts in near-duplicate SimHash clusters, with low cluster entropy.</summary>
    TemplateConcentration = 2,

    /// <summary>Rate at which generative prompts keep being new (systematic enumeration of topics).</summary>
    CoverageSweep = 3,

    /// <summary>Share of requests asking for step-by-step reasoning / chain of thought, with long outputs.</summary>
    ReasoningElicitation = 4,

    /// <summary>Share of requests asking for training examples, instruction/response pairs, datasets.</summary>
    DatasetInstructions = 5,

    /// <summary>logprobs/top_logprobs on generations, large logit_bias maps, max_tokens 1 with repeated prompts.</summary>
    LogitProbing = 6,

    /// <summary>n &gt; 1 on generations and the same prompt at several temperatures or seeds.</summary>
    SamplingSweep = 7,

    /// <summary>Regular inter-arrival times and activity flat across the 24 hours.</summary>
    Timing = 8,

    /// <summary>Several keys of one team sending the same generative template.</summary>
    FanOut = 9,

    /// <summary>One template declared under several purposes; `evaluation` without run id or repeated question set.</summary>
    PurposeMismatch = 10,
}
