using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Dapper;

namespace RecoveryStudy.Data;

/// <summary>Columns are snake_case and C# properties PascalCase: Dapper maps one to the other everywhere.</summary>
internal static class DapperConventions
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "Dapper's name mapping is process-wide; this library is the only one that queries with Dapper, so it sets it once for every host.")]
    internal static void Initialize() => DefaultTypeMap.MatchNamesWithUnderscores = true;
}
