using Npgsql;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// A database's schema as sorted lines: every column (type, nullability, default), index,
/// constraint, view, function and trigger of the application's schemas. Equal snapshots, same schema.
/// A function's body is compared with runs of white space made one: the idempotent script nests
/// each migration's SQL in a DO block and indents it, so its function bodies differ from
/// `migrate`'s in indentation only.
/// </summary>
public static class SchemaSnapshot
{
    private const string Query = """
        SELECT 'column ' || table_schema || '.' || table_name || '.' || column_name || ' ' || data_type || ' '
               || coalesce(character_maximum_length::text, '') || ' ' || is_nullable || ' ' || coalesce(column_default, '')
        FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
        UNION ALL
        SELECT 'index ' || schemaname || ' ' || indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
        UNION ALL
        SELECT 'constraint ' || n.nspname || '.' || c.conname || ' ' || pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
        UNION ALL
        SELECT 'view ' || schemaname || '.' || viewname || ' ' || definition FROM pg_views WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
        UNION ALL
        SELECT 'function ' || n.nspname || '.' || p.proname || ' ' || md5(regexp_replace(pg_get_functiondef(p.oid), '\s+', ' ', 'g'))
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prokind = 'f'
        UNION ALL
        SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE NOT t.tgisinternal
        ORDER BY 1
        """;

    public static async Task<List<string>> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Query, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return lines;
    }
}
