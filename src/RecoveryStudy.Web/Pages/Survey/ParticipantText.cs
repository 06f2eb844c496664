namespace RecoveryStudy.Web.Pages.Survey;

/// <summary>
/// Names the resource files (ParticipantText.resx, .pl.resx, .da.resx) that hold every fixed
/// text of the participant pages; protocol texts come from the protocol itself.
/// </summary>
public sealed class ParticipantText;
