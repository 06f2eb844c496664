using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class WaveStructureRevision : Migration
    {
        // Any change to a wave's instruments, or to a version of one of them, raises the wave's
        // structure revision in the same transaction, whoever writes it: the participant pages of
        // every node key their cache of the wave's structure on it (docs/design.md, "Participant pages").
        private const string TriggersSql = """
        CREATE FUNCTION rs_wave_instruments_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                UPDATE waves SET structure_revision = structure_revision + 1 WHERE id = OLD.wave_id;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                UPDATE waves SET structure_revision = structure_revision + 1 WHERE id = NEW.wave_id;
            END IF;
            RETURN NULL;
        END $$;

        CREATE FUNCTION rs_instrument_version_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE waves SET structure_revision = structure_revision + 1
            WHERE id IN (SELECT wave_id FROM wave_instruments
                         WHERE instrument_id IN ((CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.instrument_id END),
                                                 (CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.instrument_id END)));
            RETURN NULL;
        END $$;

        CREATE TRIGGER wave_instruments_structure AFTER INSERT OR UPDATE OR DELETE ON wave_instruments
        FOR EACH ROW EXECUTE FUNCTION rs_wave_instruments_changed();

        CREATE TRIGGER instrument_versions_structure AFTER INSERT OR DELETE ON instrument_versions
        FOR EACH ROW EXECUTE FUNCTION rs_instrument_version_changed();

        CREATE TRIGGER instrument_versions_structure_update AFTER UPDATE ON instrument_versions FOR EACH ROW
        WHEN (OLD.content_hash IS DISTINCT FROM NEW.content_hash OR OLD.version IS DISTINCT FROM NEW.version
              OR OLD.instrument_id IS DISTINCT FROM NEW.instrument_id)
        EXECUTE FUNCTION rs_instrument_version_changed();
        """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "structure_revision",
                table: "waves",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.Sql(TriggersSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS instrument_versions_structure_update ON instrument_versions;
                DROP TRIGGER IF EXISTS instrument_versions_structure ON instrument_versions;
                DROP TRIGGER IF EXISTS wave_instruments_structure ON wave_instruments;
                DROP FUNCTION IF EXISTS rs_instrument_version_changed();
                DROP FUNCTION IF EXISTS rs_wave_instruments_changed();
                """);

            migrationBuilder.DropColumn(
                name: "structure_revision",
                table: "waves");
        }
    }
}
