using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ConsentRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_message_kind",
                table: "messages");

            migrationBuilder.CreateTable(
                name: "consent_records",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    participant_id = table.Column<int>(type: "integer", nullable: false),
                    invitation_id = table.Column<long>(type: "bigint", nullable: true),
                    protocol_version_id = table.Column<int>(type: "integer", nullable: false),
                    consent_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    consent_version = table.Column<int>(type: "integer", nullable: false),
                    decision = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    clause_answers = table.Column<string>(type: "jsonb", nullable: false),
                    language = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    given_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_consent_records", x => x.id);
                    table.CheckConstraint("ck_consent_record_clause_answers", "jsonb_typeof(clause_answers) = 'object' AND NOT jsonb_path_exists(clause_answers, '$.* ? (@.type() != \"boolean\")')");
                    table.CheckConstraint("ck_consent_record_decision", "decision IN ('agreed', 'declined')");
                    table.CheckConstraint("ck_consent_record_decision_clauses", "(decision = 'agreed' AND jsonb_path_exists(clause_answers, '$.* ? (@ == true)')) OR (decision = 'declined' AND clause_answers = '{}'::jsonb)");
                    table.CheckConstraint("ck_consent_record_version", "consent_version >= 1");
                    table.ForeignKey(
                        name: "fk_consent_records_invitations_invitation_id",
                        column: x => x.invitation_id,
                        principalTable: "invitations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_consent_records_participants_participant_id",
                        column: x => x.participant_id,
                        principalTable: "participants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_consent_records_protocol_versions_protocol_version_id",
                        column: x => x.protocol_version_id,
                        principalTable: "protocol_versions",
                        principalColumn: "id");
                });

            migrationBuilder.AddCheckConstraint(
                name: "ck_message_kind",
                table: "messages",
                sql: "kind IN ('invitation', 'reminder', 'last_chance', 'consent_copy')");

            migrationBuilder.CreateIndex(
                name: "ix_consent_records_invitation_id",
                table: "consent_records",
                column: "invitation_id");

            migrationBuilder.CreateIndex(
                name: "ix_consent_records_participant_id_consent_code_consent_version",
                table: "consent_records",
                columns: new[] { "participant_id", "consent_code", "consent_version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_consent_records_protocol_version_id",
                table: "consent_records",
                column: "protocol_version_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "consent_records");

            migrationBuilder.DropCheckConstraint(
                name: "ck_message_kind",
                table: "messages");

            migrationBuilder.AddCheckConstraint(
                name: "ck_message_kind",
                table: "messages",
                sql: "kind IN ('invitation', 'reminder', 'last_chance')");
        }
    }
}
