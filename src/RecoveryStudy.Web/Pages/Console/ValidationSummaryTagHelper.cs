using Microsoft.AspNetCore.Razor.TagHelpers;

namespace RecoveryStudy.Web.Pages.Console;

/// <summary>
/// Runs after ASP.NET Core's own validation summary and removes the hidden list item it writes for
/// client-side validation (<c>&lt;li style="display:none"&gt;</c>): the console runs no script, and
/// the CSP (<c>style-src 'self'</c>) blocks that inline style. A summary with nothing to say is not rendered.
/// </summary>
[HtmlTargetElement("div", Attributes = "asp-validation-summary")]
public sealed class ValidationSummaryTagHelper : TagHelper
{
    private const string HiddenItem = "<li style=\"display:none\"></li>";

    /// <summary>After the framework's summary helper (order -1000 and 0).</summary>
    public override int Order => 1000;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var content = output.PostContent.GetContent();
        if (!content.Contains(HiddenItem, StringComparison.Ordinal))
        {
            return;
        }
        var rest = content.Replace(HiddenItem, "", StringComparison.Ordinal);
        if (!rest.Contains("<li", StringComparison.Ordinal))
        {
            output.SuppressOutput();
            return;
        }
        output.PostContent.SetHtmlContent(rest);
    }
}
