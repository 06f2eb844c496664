using RecoveryStudy.Data;

namespace RecoveryStudy.Protocol;

// The optional informed-consent block of a protocol (docs/protocol.md, "Informed consent"):
// a versioned text per language with clauses the participant ticks one by one.

/// <summary>The consent a participant gives before the first instrument; a new text needs a higher version.</summary>
public sealed record ConsentDefinition
{
    public string Code { get; init; } = "";
    public int Version { get; init; }

    /// <summary>When true, a participant who agreed to an earlier version is asked again at the next wave.</summary>
    public bool? Reconsent { get; init; }
    public LocalizedText Title { get; init; } = new();
    public LocalizedText Text { get; init; } = new();
    public List<ConsentClause> Clauses { get; init; } = [];
}

/// <summary>One checkbox of the consent; the participant cannot agree without every required clause ticked.</summary>
public sealed record ConsentClause
{
    public string Code { get; init; } = "";
    public LocalizedText Text { get; init; } = new();
    public bool Required { get; init; }
}
