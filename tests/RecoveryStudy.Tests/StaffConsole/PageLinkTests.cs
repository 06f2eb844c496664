using System.Text.RegularExpressions;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>
/// Pages link by page name (asp-page, RedirectToPage), so the URL comes from the target's @page
/// route; a page that is moved or renamed fails here instead of leaving a dead link in the console.
/// </summary>
public sealed class PageLinkTests
{
    private static readonly string PagesFolder = Path.Combine(Path.GetDirectoryName(Seeds.Folder)!, "src", "RecoveryStudy.Web", "Pages");

    [Fact]
    public void Every_page_a_link_or_redirect_names_exists()
    {
        var missing = Sources()
            .SelectMany(file => Regex.Matches(File.ReadAllText(file), """(?:asp-page="|RedirectToPage\(")(/[^"]+)""")
                .Select(m => (File: Path.GetRelativePath(PagesFolder, file), Page: m.Groups[1].Value)))
            .Where(link => !File.Exists(Path.Combine(PagesFolder, link.Page.TrimStart('/') + ".cshtml")))
            .Select(link => $"{link.File}: {link.Page}")
            .ToList();
        Assert.True(missing.Count == 0, "Links to pages that do not exist: " + string.Join(", ", missing));
    }

    [Fact]
    public void No_page_writes_an_address_of_another_page_by_hand()
    {
        // Static files (/css/...) have no page to name; everything else goes through a page name or a constant.
        var literals = Sources()
            .SelectMany(file => Regex.Matches(File.ReadAllText(file), """href="/(?!css/)[^"]*"|Redirect\(\$?"/[^"]*"\)""")
                .Select(m => $"{Path.GetRelativePath(PagesFolder, file)}: {m.Value}"))
            .ToList();
        Assert.True(literals.Count == 0, "Hand-written addresses: " + string.Join(", ", literals));
    }

    private static IEnumerable<string> Sources() =>
        Directory.EnumerateFiles(PagesFolder, "*.cshtml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(PagesFolder, "*.cs", SearchOption.AllDirectories));
}
