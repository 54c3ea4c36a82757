/// The page `GET /auth/logout` shows: one button that POSTs the sign-out.
enum LogoutPage {
    static let html = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Sign out of hero-client</title></head>
        <body>
        <h1>Sign out</h1>
        <p>This deletes the tokens hero-client keeps for you.</p>
        <form method="post" action="/auth/logout"><button type="submit">Sign out</button></form>
        </body>
        </html>
        """
}
