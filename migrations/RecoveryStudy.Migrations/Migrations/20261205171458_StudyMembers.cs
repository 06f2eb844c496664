using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class StudyMembers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "study_members",
                columns: table => new
                {
                    staff_user_id = table.Column<int>(type: "integer", nullable: false),
                    study_id = table.Column<int>(type: "integer", nullable: false),
                    role = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    cohort_ids = table.Column<int[]>(type: "integer[]", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_study_members", x => new { x.staff_user_id, x.study_id });
                    table.CheckConstraint("ck_study_member_role", "role IN ('researcher', 'data_manager', 'analyst', 'viewer')");
                    table.ForeignKey(
                        name: "fk_study_members_staff_users_staff_user_id",
                        column: x => x.staff_user_id,
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_study_members_studies_study_id",
                        column: x => x.study_id,
                        principalTable: "studies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_study_members_study_id",
                table: "study_members",
                column: "study_id");

            // Access was global until now: every researcher and analyst saw every study. So that an
            // upgrade changes nobody's access to existing data, each of them becomes a member of every
            // existing study with the role it had (admins need no rows). Studies created from now on
            // have only the members an admin adds (and the researcher who uploaded them).
            migrationBuilder.Sql("""
                INSERT INTO study_members (staff_user_id, study_id, role, cohort_ids, created_at)
                SELECT u.id, s.id, u.role, NULL, now()
                FROM staff_users u CROSS JOIN studies s
                WHERE u.role IN ('researcher', 'analyst');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "study_members");
        }
    }
}
