"""Knowledge base (Bantuan): public FAQ articles the help desk cites in its replies."""
