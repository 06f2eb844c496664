using Npgsql;

namespace RecoveryStudy.Tests.DataRights;

/// <summary>
/// Looks for a string in every text, character, json, jsonb, array and bytea column of every table
/// in the database, read from information_schema, so a table added later (consent records, say)
/// is searched without anyone remembering to list it here.
/// </summary>
internal static class DatabaseTextScan
{
    private const string Columns = """
        SELECT c.table_schema AS Schema, c.table_name AS "Table", c.column_name AS Name, c.data_type AS Type
        FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
          AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY')
        ORDER BY 1, 2, 3
        """;

    public sealed record TextColumn(string Schema, string Table, string Name, string Type)
    {
        public override string ToString() => $"{Schema}.{Table}.{Name}";
    }

    public static async Task<IReadOnlyList<TextColumn>> ColumnsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(Columns);
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new List<TextColumn>();
        while (await reader.ReadAsync())
        {
            columns.Add(new TextColumn(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }
        return columns;
    }

    /// <summary>Every column (schema.table.column) holding <paramref name="needle"/> anywhere, case-insensitively (bytea: its UTF-8 bytes).</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(NpgsqlDataSource dataSource, string needle)
    {
        var found = new List<string>();
        await using var connection = await dataSource.OpenConnectionAsync();
        foreach (var column in await ColumnsAsync(dataSource))
        {
            var name = Quote(column.Name);
            var test = column.Type == "bytea"
                ? $"position(convert_to(@needle, 'UTF8') IN {name}) > 0"
                : $"strpos(lower({name}::text), lower(@needle)) > 0";
            var sql = $"SELECT EXISTS (SELECT 1 FROM {Quote(column.Schema)}.{Quote(column.Table)} WHERE {test})";
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("needle", needle);
            if ((bool)(await command.ExecuteScalarAsync())!)
            {
                found.Add(column.ToString());
            }
        }
        return found;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
