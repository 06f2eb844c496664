using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ParticipantFlags : Migration
    {
        // A changed flag, or a wave that starts or stops requiring one, re-plans the participants concerned
        // (the functions are those of SchedulingOutboxAndReplan).
        private const string TriggersSql = """
        CREATE TRIGGER participants_replan_flags BEFORE UPDATE ON participants FOR EACH ROW
        WHEN (OLD.flags IS DISTINCT FROM NEW.flags)
        EXECUTE FUNCTION rs_mark_participant_row_stale();

        CREATE TRIGGER waves_replan_requires_flag AFTER UPDATE ON waves FOR EACH ROW
        WHEN (OLD.requires_flag IS DISTINCT FROM NEW.requires_flag)
        EXECUTE FUNCTION rs_wave_changed();
        """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "requires_flag",
                table: "waves",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string[]>(
                name: "flags",
                table: "participants",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.Sql(TriggersSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS waves_replan_requires_flag ON waves;
                DROP TRIGGER IF EXISTS participants_replan_flags ON participants;
                """);

            migrationBuilder.DropColumn(
                name: "requires_flag",
                table: "waves");

            migrationBuilder.DropColumn(
                name: "flags",
                table: "participants");
        }
    }
}
