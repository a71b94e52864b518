"""The site plan: which pages exist, what each shows, their SEO data. No MkDocs here."""
