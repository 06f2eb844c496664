using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using RecoveryStudy.Web.Auth;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>Reads the rule every mapped route declares: anonymous, or the policies it requires.</summary>
public static class RouteRules
{
    public const string Anonymous = "anonymous";
    public const string NoRule = "NO RULE";

    public sealed record Route(string Pattern, string Methods, string Rule, IReadOnlyList<string> Policies, IReadOnlyList<string> Roles)
    {
        public string Key => $"{Methods} {Pattern}";
    }

    public static IReadOnlyList<Route> Read(IServiceProvider services)
    {
        var source = services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .Select(Describe)
            .OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Methods, StringComparer.Ordinal)
            .ToList();
    }

    private static Route Describe(RouteEndpoint endpoint)
    {
        var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
        var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m
            ? string.Join(",", m.Order(StringComparer.Ordinal))
            : "ANY";
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return new Route(pattern, methods, Anonymous, [], []);
        }
        var authorize = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
        var policies = authorize.Select(a => a.Policy).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var roles = authorize.SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Concat(policies.SelectMany(p => StaffPolicies.Roles.TryGetValue(p, out var r) ? r : []))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var rule = policies.Count > 0 ? string.Join("+", policies)
            : roles.Count > 0 ? "roles:" + string.Join(",", roles)
            : NoRule;
        return new Route(pattern, methods, rule, policies, roles);
    }

    /// <summary>A concrete path for a pattern: every parameter becomes "1", a catch-all becomes empty.</summary>
    public static string SamplePath(string pattern)
    {
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.StartsWith("{**", StringComparison.Ordinal) || s.StartsWith("{*", StringComparison.Ordinal) ? ""
                : s.StartsWith('{') ? "1" : s)
            .Where(s => s.Length > 0);
        return "/" + string.Join("/", segments);
    }
}
