"""Reading a corpus: files to decoded text, article layout (body vs debris), dates, then chunks with offsets."""
