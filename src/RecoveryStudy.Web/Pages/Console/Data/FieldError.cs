using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace RecoveryStudy.Web.Pages.Console.Data;

/// <summary>The message next to a form field, with the id its field's aria-describedby names.</summary>
public static class FieldError
{
    public static IHtmlContent For(IReadOnlyDictionary<string, string> errors, string field)
    {
        if (!errors.TryGetValue(field, out var message))
        {
            return HtmlString.Empty;
        }
        var span = new TagBuilder("span");
        span.AddCssClass("field-error");
        span.Attributes["id"] = field + "-error";
        span.InnerHtml.Append(message);
        return span;
    }
}
