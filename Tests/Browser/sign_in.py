"""Signs in through hero-client and local-entra in headless Chromium, as a person would.

Usage: sign_in.py LOGIN_URL SCREENSHOT_DIR
Prints the JSON of the client's callback page and exits 0, or exits 1 after saving a
screenshot of every page it saw under SCREENSHOT_DIR.
"""
import json
import pathlib
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

login_url, screenshot_dir = sys.argv[1], pathlib.Path(sys.argv[2])
options = webdriver.ChromeOptions()
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
    options.add_argument(argument)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
pages = []


def keep(name):
    pages.append((name, driver.get_screenshot_as_png()))


try:
    wait = WebDriverWait(driver, 20)
    driver.get(login_url)
    wait.until(ready.presence_of_element_located((By.ID, "username")))
    keep("1-sign-in")
    # The labels are what a person reads; find the fields through them.
    for label, value in (("username", "hero@localentra.dev"), ("password", "hero-password")):
        field_id = driver.find_element(By.CSS_SELECTOR, f"label[for={label}]").get_attribute("for")
        driver.find_element(By.ID, field_id).send_keys(value)
    driver.find_element(By.ID, "signin").click()
    wait.until(ready.presence_of_element_located((By.ID, "accept")))
    keep("2-consent")
    driver.find_element(By.ID, "accept").click()
    wait.until(lambda d: "id_token" in d.page_source)
    keep("3-callback")
    claims = json.loads(driver.find_element(By.TAG_NAME, "body").text)
    assert claims["id_token"]["name"] == "Demo Hero", claims
    # The callback bound the proxy to this browser with an HttpOnly, SameSite=Strict cookie.
    session = driver.get_cookie("hero_client_session")
    assert session is not None, "no session cookie after the callback"
    assert session["httpOnly"] and session.get("sameSite") == "Strict" and session["path"] == "/", session.keys()
    base = login_url.rsplit("/auth/", 1)[0]
    driver.get(base + "/api/heroes/")
    keep("4-api-with-cookie")
    heroes = json.loads(driver.find_element(By.TAG_NAME, "body").text)
    assert isinstance(heroes, list), "the proxy served the browser that signed in"
    # Without the cookie the same browser is refused.
    driver.delete_cookie("hero_client_session")
    driver.get(base + "/api/heroes/")
    keep("5-api-without-cookie")
    refused = json.loads(driver.find_element(By.TAG_NAME, "body").text)
    assert refused.get("status") == 403, "without the session cookie the proxy refuses the browser"
    claims["browser_binding"] = {"with_cookie": "served", "without_cookie": refused["status"]}
    print(json.dumps(claims))
except Exception as error:  # noqa: BLE001 - report anything, with the pages seen
    keep("failure")
    screenshot_dir.mkdir(parents=True, exist_ok=True)
    for name, png in pages:
        (screenshot_dir / f"{name}.png").write_bytes(png)
    # The path only: the query of a callback holds the authorization code.
    where = driver.current_url.split("?")[0]
    print(f"browser sign-in failed at {where}: {error!r}; screenshots in {screenshot_dir}", file=sys.stderr)
    sys.exit(1)
finally:
    driver.quit()
