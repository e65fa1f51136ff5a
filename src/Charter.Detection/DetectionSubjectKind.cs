// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Detection;

/// <summary>What a finding or risk entry is about.</summary>
public enum DetectionSubjectKind
{
    Key = 0,
    Team = 1,
}
