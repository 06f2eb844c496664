namespace RecoveryStudy.Web.Pages.Console;

/// <summary>
/// Names the resource files (ConsoleText.resx, .pl.resx, .da.resx) that hold the console's labels,
/// shown in the language each staff member chose on /account/language (see <see cref="ConsoleLanguage"/>).
/// </summary>
public sealed class ConsoleText;
