using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <summary>Interview files: metadata with the wrapped per-file key, and the encrypted content in chunks (issue 23).</summary>
    public partial class InterviewFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "interview_files",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    task_id = table.Column<long>(type: "bigint", nullable: false),
                    study_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    file_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    content_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    chunk_count = table.Column<int>(type: "integer", nullable: false),
                    sha256 = table.Column<byte[]>(type: "bytea", nullable: false),
                    key_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    wrapped_key = table.Column<byte[]>(type: "bytea", nullable: false),
                    uploaded_by = table.Column<int>(type: "integer", nullable: true),
                    uploaded_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_interview_files", x => x.id);
                    table.CheckConstraint("ck_interview_file_kind", "kind IN ('audio', 'transcript')");
                    table.CheckConstraint("ck_interview_file_sha256", "length(sha256) = 32");
                    table.CheckConstraint("ck_interview_file_size", "size_bytes >= 0 AND chunk_count >= 0");
                    table.ForeignKey(
                        name: "fk_interview_files_interview_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "interview_tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_interview_files_staff_users_uploaded_by",
                        column: x => x.uploaded_by,
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_interview_files_studies_study_id",
                        column: x => x.study_id,
                        principalTable: "studies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "interview_file_chunks",
                columns: table => new
                {
                    file_id = table.Column<Guid>(type: "uuid", nullable: false),
                    seq = table.Column<int>(type: "integer", nullable: false),
                    data = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_interview_file_chunks", x => new { x.file_id, x.seq });
                    table.CheckConstraint("ck_interview_file_chunk_seq", "seq >= 0");
                    table.ForeignKey(
                        name: "fk_interview_file_chunks_interview_files_file_id",
                        column: x => x.file_id,
                        principalTable: "interview_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Chunks are AES-GCM ciphertext, which does not compress: store them out of line without trying.
            migrationBuilder.Sql("ALTER TABLE interview_file_chunks ALTER COLUMN data SET STORAGE EXTERNAL;");

            migrationBuilder.CreateIndex(
                name: "ix_interview_files_study_id",
                table: "interview_files",
                column: "study_id");

            migrationBuilder.CreateIndex(
                name: "ix_interview_files_task_id",
                table: "interview_files",
                column: "task_id");

            migrationBuilder.CreateIndex(
                name: "ix_interview_files_uploaded_by",
                table: "interview_files",
                column: "uploaded_by");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "interview_file_chunks");

            migrationBuilder.DropTable(
                name: "interview_files");
        }
    }
}
